# A fresh Debian 12 (bookworm, minbase) to check shardsim in, shared by scripts/check-package and
# scripts/check-fresh. Sourced, not run. The caller sets `root` (the directory the system lives in) and
# `user` (the ordinary user it creates there), runs `bookworm_root_release` from its EXIT trap, and
# needs root on the host (debootstrap, mount, chroot).

bookworm_mirror=http://deb.debian.org/debian
bookworm_suite=bookworm

step() { echo "== $*"; }
fail() { echo "$(basename "$0"): FAILED: $*" >&2; exit 1; }

mounted_under() { # DIR: the mount points at or below DIR, deepest first
  awk -v dir="$1" '$2 == dir || index($2, dir "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

bookworm_root_check_given() { # DIR: fails unless DIR can be copied as a bookworm root
  [[ -x $1/usr/bin/apt-get ]] || fail "--root $1: not a Debian root (no usr/bin/apt-get)"
  [[ -z $(mounted_under "$1") ]] || fail "--root $1: something is mounted inside it"
}

bookworm_root_create() { # [GIVEN]: fills $root with a copy of GIVEN or, without one, a debootstrapped
  # minbase; points apt at the archive areas the Debian installer sets up, so what is installed there
  # meets what a fresh system has; mounts what apt and the programs need.
  local given=${1:-}
  chmod 755 "$root" # the user inside must be able to enter /
  if [[ -n $given ]]; then
    step "copying $given to $root"
    cp -a "$given/." "$root/"
  else
    step "debootstrap $bookworm_suite (minbase) into $root"
    debootstrap --variant=minbase "$bookworm_suite" "$root" "$bookworm_mirror" >"$root.debootstrap.log" 2>&1 \
      || { tail -n 20 "$root.debootstrap.log" >&2; fail "debootstrap (log: $root.debootstrap.log)"; }
    rm -f "$root.debootstrap.log"
  fi
  cat >"$root/etc/apt/sources.list" <<EOF
deb $bookworm_mirror $bookworm_suite main
deb $bookworm_mirror $bookworm_suite-updates main
deb http://deb.debian.org/debian-security $bookworm_suite-security main
EOF
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  # The hosts file the Debian installer writes (debootstrap writes none), so that sudo finds the host name.
  printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$(uname -n)" \
    >"$root/etc/hosts"
  # No service of the chroot may start on the host.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys"
  mount --bind /dev "$root/dev"
  mount --bind /dev/pts "$root/dev/pts"
}

bookworm_root_release() { # KEEP (true|false): unmounts everything under $root, then deletes it unless KEEP
  local keep=$1 point
  [[ -n ${root:-} && -d $root ]] || return 0
  for point in $(mounted_under "$root"); do
    umount "$point" 2>/dev/null || umount --lazy "$point"
  done
  if [[ -n $(mounted_under "$root") ]]; then
    echo "$(basename "$0"): still mounted under $root; not deleting it" >&2
  elif $keep; then
    echo "$(basename "$0"): the root is kept in $root"
  else
    rm -rf --one-file-system "$root"
  fi
}

in_root() { # COMMAND...: as root inside, with a clean environment
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

bookworm_root_add_user() { # creates $user with a home and the runtime directory a login would give it
  in_root useradd --create-home --shell /bin/bash "$user"
  install -d -m 700 -o "$(in_root id -u "$user")" "$root/tmp/runtime-$user"
}

as_user() { # SCRIPT [NAME=VALUE...]: a bash script run as the ordinary user, in its home
  local script=$1; shift
  chroot --userspec="$user:$user" "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin \
    HOME=/home/$user USER=$user LANG=C.UTF-8 XDG_RUNTIME_DIR=/tmp/runtime-$user "$@" \
    /bin/bash -euo pipefail -c "cd; $script"
}
