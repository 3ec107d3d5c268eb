# placer serve as a container image: Debian bookworm, multi-stage, non-root.
#   docker build -t placer .
#   docker run --rm -p 127.0.0.1:8080:8080 placer
#   curl -s localhost:8080/healthz
# The build stage installs exactly what scripts/install-deps installs (the packages the
# build needs); the runtime stage only the shared libraries the binary links.

FROM debian:bookworm-slim AS build
COPY scripts/install-deps /usr/local/bin/install-deps
RUN /usr/local/bin/install-deps && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt CMakePresets.json ./
COPY cmake/ cmake/
COPY core/ core/
COPY server/ server/
COPY cli/ cli/
COPY data/ data/
COPY models/ models/
# Tests and benchmarks are not part of the image; `install` puts bin/placer and
# share/placer/{data,models} under /opt/placer, where placer looks beside its binary.
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPLACER_BUILD_TESTS=OFF \
      -DPLACER_BUILD_BENCH=OFF -DPLACER_BUILD_SERVER=ON -DCMAKE_INSTALL_PREFIX=/opt/placer \
 && cmake --build build -j"$(nproc)" \
 && cmake --install build --strip

FROM debian:bookworm-slim AS runtime
# libcpp-httplib0.11 brings libssl3, libbrotli1 and zlib1g, what httplib was built with;
# libyaml-cpp0.7 reads report manifests.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libcpp-httplib0.11 libyaml-cpp0.7 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 placer \
 && useradd --system --uid 10001 --gid placer --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin placer
COPY --from=build /opt/placer /opt/placer
ENV PATH=/opt/placer/bin:$PATH
# Numeric, so Kubernetes' runAsNonRoot can check it.
USER 10001:10001
EXPOSE 8080
# placer collects SIGTERM itself (sigwait), so it drains and exits 0 even as PID 1.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/placer/bin/placer", "serve"]
CMD ["--listen", "0.0.0.0:8080"]
