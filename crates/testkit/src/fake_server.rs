//! The local HTTP server each fake of the outside world runs on: one worker on a free port,
//! stopped when the fake is dropped.

use std::net::TcpListener;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer, web};

pub(crate) struct FakeServer {
    /// `http://127.0.0.1:<port>`
    pub base: String,
    handle: ServerHandle,
}

impl FakeServer {
    /// Starts serving what `configure` mounts (inside a Tokio runtime), with the server's own
    /// base URL as `web::Data<String>`; `name` says which fake failed to start.
    pub fn start(
        name: &str,
        configure: impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
    ) -> Self {
        let listener =
            TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("binding {name}: {e}"));
        let port = listener.local_addr().expect("its address").port();
        let base = format!("http://127.0.0.1:{port}");
        let shared = web::Data::new(base.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .configure(configure.clone())
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listening")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self { base, handle }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}
