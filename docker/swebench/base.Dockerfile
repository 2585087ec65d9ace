# SWE-bench-style base layer (online build): Ubuntu with build tools and Miniconda in
# /opt/miniconda3. Build args: CONDA_ARCH (x86_64 | aarch64).
FROM --platform=linux/amd64 ubuntu:22.04
ARG DEBIAN_FRONTEND=noninteractive
ARG CONDA_ARCH=x86_64
ENV TZ=Etc/UTC
RUN apt-get update && apt-get install -y \
      wget git build-essential libffi-dev libtiff-dev python3 python3-pip python-is-python3 \
      jq curl locales locales-all tzdata patch \
    && rm -rf /var/lib/apt/lists/*
RUN wget -q "https://repo.anaconda.com/miniconda/Miniconda3-py311_23.11.0-2-Linux-${CONDA_ARCH}.sh" -O /tmp/miniconda.sh \
    && bash /tmp/miniconda.sh -b -p /opt/miniconda3 && rm /tmp/miniconda.sh
ENV PATH=/opt/miniconda3/bin:$PATH
RUN conda init --all && conda config --append channels conda-forge
RUN adduser --disabled-password --gecos 'dog' nonroot
