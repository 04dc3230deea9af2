# Atelier's two commands, mirrored from `cargo xtask` (install just with `cargo install just --locked`).

# Start PostgreSQL, Redis and the server on 127.0.0.1:8080 (Swagger UI at /docs/).
run *ARGS:
    cargo xtask run {{ARGS}}

# Every check: fmt, clippy, dependency rules, the test suite, OpenAPI drift.
test *ARGS:
    cargo xtask test {{ARGS}}

# Regenerate openapi/openapi.json after changing a route or a DTO.
openapi:
    cargo xtask openapi

# Start the test services and print the variables that let `cargo test` use them.
stack:
    cargo xtask stack

# A benchmark, not a test: search and a category listing under load on generated products.
bench-search *ARGS:
    cargo xtask bench search {{ARGS}}

# A benchmark, not a test: checkout and wallet payment through HTTP beside pgbench on the same SQL.
bench-checkout *ARGS:
    cargo xtask bench checkout {{ARGS}}

# A benchmark, not a test: a month of a 50-person studio's free slots through HTTP, against one day.
bench-availability *ARGS:
    cargo xtask bench availability {{ARGS}}
