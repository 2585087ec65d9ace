# SWE-bench-style instance layer: the repo cloned at base_commit into /testbed and installed
# into the env by the test spec's setup_repo.sh. Build arg: ENV_IMAGE.
ARG ENV_IMAGE=sweb.env.py.x86_64:latest
FROM ${ENV_IMAGE}
COPY ./setup_repo.sh /root/
RUN sed -i -e 's/\r$//' /root/setup_repo.sh && /bin/bash /root/setup_repo.sh
WORKDIR /testbed/
