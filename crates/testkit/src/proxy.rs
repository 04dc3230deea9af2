//! A TCP hop that a test can cut, to make a real dependency unreachable and then bring it back.

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::{JoinHandle, JoinSet};

/// The host and port of a service URL, as a proxy target.
pub fn socket_of(url: &str) -> SocketAddr {
    let url = url::Url::parse(url).expect("a URL");
    let host = url.host_str().expect("a host");
    let port = url.port().expect("a port");
    format!("{host}:{port}").parse().expect("a socket address")
}

/// `url` with its port replaced, to point it at a proxy.
pub fn with_port(url: &str, port: u16) -> String {
    let mut url = url::Url::parse(url).expect("a URL");
    url.set_port(Some(port)).expect("a URL with a port");
    url.to_string()
}

/// Forwards `127.0.0.1:<port>` to a target. [`TcpProxy::cut`] closes every open connection and
/// the listening socket (new connections are refused, as by a stopped server);
/// [`TcpProxy::restore`] listens on the same port again. Both return once the change is in
/// effect, so a test can act on it at once.
pub struct TcpProxy {
    port: u16,
    commands: mpsc::UnboundedSender<(bool, oneshot::Sender<()>)>,
    task: JoinHandle<()>,
}

impl TcpProxy {
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let (commands, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(serve(listener, port, target, rx));
        Self {
            port,
            commands,
            task,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn cut(&self) {
        self.set(false).await;
    }

    pub async fn restore(&self) {
        self.set(true).await;
    }

    async fn set(&self, up: bool) {
        let (done, applied) = oneshot::channel();
        self.commands
            .send((up, done))
            .expect("the proxy is running");
        applied.await.expect("the proxy applied the change");
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    first: TcpListener,
    port: u16,
    target: SocketAddr,
    mut commands: mpsc::UnboundedReceiver<(bool, oneshot::Sender<()>)>,
) {
    let mut listener = Some(first);
    let mut pipes = JoinSet::new();
    loop {
        tokio::select! {
            accepted = async { listener.as_ref().expect("guarded").accept().await }, if listener.is_some() => {
                if let Ok((client, _)) = accepted {
                    pipes.spawn(pipe(client, target));
                }
            }
            Some(_) = pipes.join_next(), if !pipes.is_empty() => {}
            command = commands.recv() => {
                let Some((up, done)) = command else { return };
                if up {
                    if listener.is_none() {
                        let bound = TcpListener::bind(("127.0.0.1", port)).await;
                        listener = Some(bound.unwrap_or_else(|e| panic!("re-binding port {port}: {e}")));
                    }
                } else {
                    listener = None;
                    pipes.abort_all();
                    while pipes.join_next().await.is_some() {}
                }
                let _ = done.send(());
            }
        }
    }
}

async fn pipe(mut client: TcpStream, target: SocketAddr) {
    if let Ok(mut server) = TcpStream::connect(target).await {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    }
}
