# archaudit container image: the release binary on a distroless runtime (no shell,
# no package manager), run as the distroless `nonroot` user (65532).
#   docker build -t ghcr.io/archaudit/archaudit:0.1.0 .

# The toolchain archaudit is built and tested with (rustc --version).
FROM rust:1.95.0-bookworm AS builder
WORKDIR /src
COPY . .
RUN cargo build --release --locked \
    && cp target/release/archaudit /usr/local/bin/archaudit

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=builder /usr/local/bin/archaudit /usr/local/bin/archaudit
# Numeric, so that Kubernetes' runAsNonRoot can verify it.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/archaudit"]
