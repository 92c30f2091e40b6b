#!/usr/bin/env python3
"""bench/follow.py: the small tools of bench/follow.sh.

  follow.py stamp
      Copies standard input (nft monitor) to standard output, each line
      that names table inet d6c prefixed with the wall-clock time it was
      read, in nanoseconds.  Flushed per line.
  follow.py probe DST PORT RATE STOPFILE
      Sends, RATE times a second until STOPFILE exists, one UDP datagram and
      one TCP SYN (a non-blocking connect, closed 64 SYNs later, so before
      its retransmission) to DST PORT; then prints "tcp N udp N": how many
      of each it sent.  A number for STOPFILE: that many of each.
  follow.py subnets SOCKET PREFIX
      The IPv6 subnets of the Docker networks whose names start with PREFIX,
      one a line (GET /networks over the daemon's unix socket).
  follow.py lastevent FILE
      The time (ns) of the last event of a saved GET /events stream.
"""
import json
import os
import socket
import sys
import time


def stamp():
    out = sys.stdout
    for line in sys.stdin:
        if " inet d6c" in line:
            out.write("%d %s" % (time.time_ns(), line))
            out.flush()


def probe(dst, port, rate, stopfile):
    port, rate = int(port), float(rate)
    udp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    held, ntcp, nudp = [], 0, 0
    step = 1.0 / rate
    due = time.monotonic()
    count = int(stopfile) if stopfile.isdigit() else -1
    while count != 0 and (count > 0 or not os.path.exists(stopfile)):
        count -= 1 if count > 0 else 0
        try:
            udp.sendto(b"d6c", (dst, port))
            nudp += 1
        except OSError:
            pass   # an ICMP error of an earlier datagram: still not sent
        t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        t.setblocking(False)
        try:
            t.connect((dst, port))
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            pass
        ntcp += 1
        held.append(t)
        if len(held) > 64:
            held.pop(0).close()
        due += step
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    for t in held:
        t.close()
    print("tcp %d udp %d" % (ntcp, nudp))


def subnets(sock, prefix):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    s.sendall(b"GET /networks HTTP/1.0\r\nHost: docker\r\n\r\n")
    data = b""
    while True:
        b = s.recv(1 << 16)
        if not b:
            break
        data += b
    body = data.split(b"\r\n\r\n", 1)[1]
    for n in json.loads(body):
        if not n["Name"].startswith(prefix):
            continue
        for c in (n.get("IPAM") or {}).get("Config") or []:
            if ":" in c.get("Subnet", ""):
                print(c["Subnet"])


def lastevent(path):
    last = 0
    with open(path) as f:
        for line in f:
            try:
                last = max(last, int(json.loads(line)["timeNano"]))
            except (ValueError, KeyError):
                pass
    print(last)


def main():
    cmds = {"stamp": (stamp, 0), "probe": (probe, 4), "subnets": (subnets, 2),
            "lastevent": (lastevent, 1)}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds or len(sys.argv) - 2 != cmds[sys.argv[1]][1]:
        sys.stderr.write(__doc__)
        sys.exit(2)
    cmds[sys.argv[1]][0](*sys.argv[2:])


if __name__ == "__main__":
    main()
