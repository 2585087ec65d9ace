#!/usr/bin/env bash
# Make sure a Slurm cluster answers on this machine: a single-host cluster of two emulated
# nodes (n1, n2: two slurmd on 127.0.0.1, distinct ports) for `swerl slurm` and its tests.
# No-op when Slurm already answers; otherwise install Debian's slurm-wlm and munge (if
# missing), write /etc/slurm/slurm.conf, wipe the state directories (a leftover ClusterName
# stops slurmctld), start munged (as user munge), slurmctld and the slurmd's in the
# background (no systemd here), and wait until sinfo shows both nodes idle. Needs root.
# Every address in the configuration is 127.0.0.1; Slurm 22.05 has no bind-address setting,
# so the daemons listen on all interfaces (munge authenticates every message).
set -euo pipefail

NODES=(n1 n2)
CONF=/etc/slurm/slurm.conf
LOG_DIR=${SLURM_LOG_DIR:-/var/log/slurm}
WAIT_S=${SLURM_SETUP_WAIT_S:-60}

# sinfo hangs while the controller is down: always ask with a timeout.
idle_nodes() { timeout 5 sinfo -h -N -o '%N %t' 2>/dev/null | awk '$2 == "idle" || $2 == "mix" || $2 == "alloc" { n++ } END { print n + 0 }'; }
slurm_answers() { command -v sinfo >/dev/null 2>&1 && [ "$(idle_nodes)" -ge 1 ]; }

if slurm_answers; then
  echo "setup-slurm: Slurm already answers ($(idle_nodes) node(s) up)"
  exit 0
fi

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  echo "setup-slurm: installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

# munge: the package makes the key; munged runs as user munge with /run/munge its own.
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || { mungekey --create 2>/dev/null || /usr/sbin/create-munge-key -f; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  echo "setup-slurm: starting munged"
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 1 20); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
  munge -n </dev/null | unmunge >/dev/null || { echo "setup-slurm: munged does not answer" >&2; exit 1; }
fi

host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(awk '/MemTotal/ { printf "%d", $2 / 1024 / 2 }' /proc/meminfo)
mkdir -p /etc/slurm "$LOG_DIR"
{
  cat <<EOF
# Written by swerl's scripts/setup-slurm.sh: one host, two emulated nodes, loopback only.
ClusterName=swerl
SlurmctldHost=${host}(127.0.0.1)
SlurmctldPort=6817
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd/%n
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd-%n.pid
SlurmctldLogFile=${LOG_DIR}/slurmctld.log
SlurmdLogFile=${LOG_DIR}/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
# An afterok on a failed job is cancelled, not left pending forever.
DependencyParameters=kill_invalid_depend
ReturnToService=2
SlurmdTimeout=10
# Finished jobs stay visible to squeue / scontrol (no sacct here) for an hour.
MinJobAge=3600
JobRequeue=1
EOF
  port=17001
  for n in "${NODES[@]}"; do
    echo "NodeName=${n} NodeAddr=127.0.0.1 NodeHostname=${host} Port=${port} CPUs=${cpus} RealMemory=${mem_mb} State=UNKNOWN"
    port=$((port + 1))
  done
  echo "PartitionName=debug Nodes=$(IFS=,; echo "${NODES[*]}") Default=YES MaxTime=INFINITE State=UP"
} >"$CONF"
# Debian's slurm looks for its config in /etc/slurm; cgroup.conf is not needed (proctrack/linuxproc).

# A controller or slurmd that is running but not answering: stop those we know by pid file.
for pidfile in /run/slurmctld.pid /run/slurmd-*.pid; do
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
done
sleep 1
rm -rf /var/spool/slurmctld /var/spool/slurmd
mkdir -p /var/spool/slurmctld
for n in "${NODES[@]}"; do mkdir -p "/var/spool/slurmd/$n"; done

echo "setup-slurm: starting slurmctld and slurmd ${NODES[*]} (logs: $LOG_DIR)"
nohup slurmctld -D -i >"$LOG_DIR/slurmctld.out" 2>&1 &
for n in "${NODES[@]}"; do
  nohup slurmd -D -N "$n" >"$LOG_DIR/slurmd-$n.out" 2>&1 &
done

for _ in $(seq 1 "$WAIT_S"); do
  if [ "$(idle_nodes)" -ge "${#NODES[@]}" ]; then
    echo "setup-slurm: ready:"; timeout 5 sinfo -N -o '%N %t %c %m' | sed 's/^/  /'
    exit 0
  fi
  sleep 1
done
echo "setup-slurm: nodes not idle within ${WAIT_S} s; sinfo and last log lines:" >&2
timeout 5 sinfo -N >&2 || true
tail -20 "$LOG_DIR/slurmctld.log" "$LOG_DIR/slurmctld.out" >&2 || true
exit 1
