# SWE-bench-style environment layer: the conda env `testbed` for one repo/version, made by
# the test spec's setup_env.sh (python version, pinned packages). Build arg: BASE_IMAGE.
ARG BASE_IMAGE=sweb.base.py.x86_64:latest
FROM ${BASE_IMAGE}
COPY ./setup_env.sh /root/
RUN sed -i -e 's/\r$//' /root/setup_env.sh && chmod +x /root/setup_env.sh \
    && /bin/bash -c "source ~/.bashrc && /root/setup_env.sh"
WORKDIR /testbed/
RUN echo "source /opt/miniconda3/etc/profile.d/conda.sh && conda activate testbed" > /root/.bashrc
