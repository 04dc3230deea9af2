// `embed_migrations!` tracks the files it reads, but not a migration directory added later.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
