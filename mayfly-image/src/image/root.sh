#!/usr/bin/env bash
# Lays out the image's file system in $2 from the distribution's tar.gz $1: the distribution
# under /opt/mayfly, the C library and loader its Java runtime links against (copied from this
# Debian machine: the image is built FROM scratch, no base image is pulled), an unprivileged user,
# and a /tmp. Run by the build (mayfly-image/pom.xml) before Jib packs the directory.
set -euo pipefail

dist=$1
root=$2
rm -rf "$root"
mkdir -p "$root/opt/mayfly" "$root/etc" "$root/tmp"
tar xzf "$dist" -C "$root/opt/mayfly" --strip-components=1
# The JVM uses an AOT cache only with jars of the sizes and times it was made with, and Jib sets
# every file's time to the same instant: the image starts without it.
rm -f "$root/opt/mayfly/lib/mayfly.aot"

# Every shared library an ELF file of the runtime needs, resolved by this machine's loader.
libs=$(find "$root/opt/mayfly/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
  xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' |
  sort -u)
[ -n "$libs" ] || { echo "root.sh: ldd found no libraries for the runtime" >&2; exit 1; }
for lib in $libs; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib" # the file, not the symlink
done
# The loader is also reached as /lib64/ld-linux-x86-64.so.2 (the path inside every executable).
if [ ! -e "$root/lib64/ld-linux-x86-64.so.2" ]; then
  mkdir -p "$root/lib64"
  cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
fi

# uid/gid 10001: a user without a shell or home that owns nothing in the image.
echo 'root:x:0:0:root:/root:/sbin/nologin' >"$root/etc/passwd"
echo 'mayfly:x:10001:10001:Mayfly:/tmp:/sbin/nologin' >>"$root/etc/passwd"
printf 'root:x:0:\nmayfly:x:10001:\n' >"$root/etc/group"
# Name lookups from /etc/hosts first, then DNS (an MQTT broker given by name).
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
