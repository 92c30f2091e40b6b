#!/usr/bin/env python3
"""Writes the hand-made and extracted seeds of tests/fuzz/corpus/{include,
packet,testfile,docker_state}/ from the tree's examples and tests.  Run from
the top of the tree; it only adds files (names are the content's purpose)."""
import glob, json, os, re, shlex

def put(target, name, data):
    d = f"tests/fuzz/corpus/{target}"
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(f"{d}/{name}", "wb") as f:
        f.write(data)

def read(p):
    with open(p, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()

# ---- include: files cut at "\n%%\n": a.pol b.pol dir/c.pol dir/d.pol dir/sub/e.pol f.pol deep/6.pol...
SEP = "\n%%\n"
def files(*parts):
    return SEP.join(parts)

split = read("examples/split.pol").replace("split/defines.pol", "b.pol") \
    .replace("split/web.pol", "dir/c.pol").replace("split/db.pol", "dir/d.pol")
put("include", "split", files(split, read("examples/split/defines.pol"),
                             read("examples/split/web.pol"), read("examples/split/db.pol")))
put("include", "cycle_ab", files('include "b.pol";\n', 'include "a.pol";\nnetwork 2001:db8::/64 < allow tcp 22; >\n'))
put("include", "self", files('include "a.pol";\n'))
put("include", "self_dotted", files('include "./dir/../a.pol";\nnetwork 10.0.0.0/8 < allow tcp 22; >'))
put("include", "up_and_down", files(
    'include "dir/c.pol";\ndefine admins = 2001:db8:ffff::/48;\n',
    'network 2001:db8:1::/64 < allow tcp ssh from admins; >\n',
    'include "sub/e.pol";\ninclude "d.pol";\n',
    'define web = http, https;\n',
    'include "../../b.pol";\nnetwork 2001:db8:2::/64 < allow tcp web; >\n'))
put("include", "missing", files('include "nothere.pol";\ninclude "dir";\ninclude "dir/";\n'
                                'include "b.pol/x";\ninclude "";\ninclude "/etc/passwd";\n', ''))
put("include", "error_inside", files('include "b.pol";\nnetwork 2001:db8::/64 < allow tcp 22; >\n',
                                     'network 2001:db8::/64 < allow tcp 70000; >\n'))
put("include", "define_twice", files('define x = 22;\ninclude "b.pol";\n', 'define x = 23;\n'))
put("include", "docker", files('include "b.pol";\nnetwork docker "web" < allow tcp 80 from peers; >\n',
                               'define peers = docker "db", docker "dual";\n'))
# a chain past the include limit (32): a.pol -> deep/6.pol -> ... -> deep/63.pol
parts = ['include "deep/6.pol";\n', '', '', '', '', '']
for n in range(6, 64):
    parts.append(f'include "{n + 1}.pol";\n' if n < 63 else 'network ::/0 < allow; >\n')
put("include", "deep_chain", files(*parts))
# a diamond: dir/c.pol and dir/d.pol both include b.pol, read once
put("include", "diamond", files(
    'include "dir/c.pol";\ninclude "dir/d.pol";\nnetwork 2001:db8::/64 < allow tcp 22 from admins; >\n',
    'define admins = 2001:db8:ffff::/48;\n',
    'include "../b.pol";\nnetwork 2001:db8:1::/64 < allow tcp 80 from admins; >\n',
    'include "./../b.pol";\nnetwork 2001:db8:2::/64 < allow tcp 443; >\n'))
# globs: in order, none, a cycle through one (dir/d.pol matches itself),
# a wildcard in a directory (an error)
put("include", "glob", files(
    'include "dir/*.pol";\ninclude "deep/[0-9]?.pol";\ninclude "none/*.pol";\n'
    'include "dir/sub/*";\ninclude "*/x.pol";\n',
    'define unused = 1;\n',
    'network 2001:db8:1::/64 < allow tcp 80; >\n',
    'include "*.pol";\n',
    'network 2001:db8:3::/64 < allow tcp 25; >\n',
    '',
    'network 2001:db8:6::/64 < allow udp 53; >\n',
    'network 2001:db8:7::/64 < allow udp 123; >\n'))
for p in glob.glob("tests/bad/*.pol") + glob.glob("tests/warn/*.pol") + glob.glob("examples/*.pol"):
    t = read(p).replace("inc/", "dir/").replace("split/", "dir/")
    if "include" in t:
        put("include", "from_" + p.replace("/", "__"),
            files(t, read("tests/bad/inc/web.pol"), read("tests/bad/inc/cycle-a.pol").replace("cycle-b", "d"),
                  read("tests/bad/inc/cycle-b.pol").replace("cycle-a", "c")))

# ---- packets: explain's operands and test files' expectations
packets = set()
for p in glob.glob("examples/*.test") + glob.glob("tests/explain/cases/*.test"):
    for line in read(p).splitlines():
        m = re.match(r"\s*expect\s+(.*?)\s+(accept|drop|reject)\s*;", line)
        if m:
            packets.add(m.group(1))
for p in glob.glob("tests/explain/cases/*.cmd"):
    try:
        words = shlex.split(read(p))
    except ValueError:
        continue
    for w in words:
        if re.match(r"(tcp|udp|icmp)\b", w) or "->" in w:
            packets.add(w)
for i, pk in enumerate(sorted(packets)):
    put("packet", f"case_{i:03d}", pk)
for p in glob.glob("tests/explain/cases/*.in"):
    put("packet", "stdin_" + os.path.basename(p), read(p))
for i, pk in enumerate([
    "icmp 192.0.2.1 -> 192.0.2.10", "icmp 2001:db8::1 -> 2001:db8::10 type nd-neighbor-solicit",
    "icmp 2001:db8::1 -> 2001:db8::10 type 1", "icmp 10.0.0.1 -> 10.1.2.3 type 255",
    "icmp 10.0.0.1 -> 10.1.2.3 type router-advertisement", "icmp 2001:db8::1 -> 2001:db8::10 type echo-reply",
    "tcp ::ffff:192.0.2.1 -> 2001:db8::10 port 0", "udp 172.20.0.9 -> 172.20.1.1 port dns",
    "tcp 2001:db8:bad::1 -> 2001:db8::10 port 65535", "tcp 10.1.0.1 -> 10.2.0.1 port 1500",
    "tcp 2001:db8::1/64 -> 2001:db8::10 port 22", "tcp 2001:db8::1 -> 10.0.0.1 port 22",
    "icmpv6 2001:db8::1 -> 2001:db8::2", "tcp 2001:db8::1 -> 2001:db8::2 type 1",
    "icmp 2001:db8::1 -> 2001:db8::2 port 1", "tcp 2001:db8::1 2001:db8::2 port 22",
    "tcp 2001:db8::1 -> 2001:db8::2 port", "tcp 2001:db8::1 -> 2001:db8::2 port 22 extra",
    "tcp 2001:db8::1->2001:db8::2 port 22", "tcp 2001:db8::1 -> 2001:db8::2 port 22;# c\nudp",
]):
    put("packet", f"hand_{i:02d}", pk)

# ---- test files
for p in glob.glob("examples/*.test") + glob.glob("tests/explain/cases/*.test") + glob.glob("contrib/etc/d6c/*.test"):
    put("testfile", p.replace("/", "__"), read(p))
put("testfile", "hand_errors", "expect tcp 2001:db8::1 -> 2001:db8::10 port 22 allow;\n"
    "expect udp 10.0.0.1 -> 10.1.1.1 port 53 deny;\nexpect tcp 2001:db8::1 -> 2001:db8::10 port 22\n"
    "expect icmp 192.0.2.1 -> 192.0.2.9 accept\nexpect;\n;;\nbogus words;\nexpect tcp 1.2.3.4 -> 2001:db8::1 port 1 drop;\n"
    "expect tcp 2001:db8::1 -> 2001:db8::10 port 22 accept extra;\nexpect icmp 2001:db8::1 -> 2001:db8::10 type 300 drop;\n")
put("testfile", "hand_all_pass", "".join(
    f"expect {pk} {v};\n" for pk, v in [
        ("tcp 2001:db8:1::2 -> 2001:db8::20 port 22", "drop"),
        ("tcp 2001:db8:ffff::1 -> 2001:db8::20 port ssh", "accept"),
        ("tcp 2001:db8:1::2 -> 2001:db8::20 port 25", "reject"),
        ("icmp 2001:db8:1::2 -> 2001:db8::20 type destination-unreachable", "accept"),
        ("udp 172.20.0.2 -> 172.20.0.3 port 53", "accept"),
        ("tcp 172.20.0.2 -> 172.20.0.3 port 26", "reject"),
        ("tcp 10.1.2.3 -> 10.2.0.1 port 99", "accept"),
        ("udp 192.0.2.1 -> 192.0.2.2 port 7", "drop"),
        ("tcp 203.0.113.1 -> 203.0.113.2 port 7", "accept")]))

# ---- Docker state
for p in glob.glob("tests/unit/data/*.json"):
    put("docker_state", os.path.basename(p), read(p))
def net(name, *subnets, nid=None, ipam=True):
    o = {"Name": name, "Id": nid if nid is not None else (name.encode().hex() or "00")}
    if ipam:
        o["IPAM"] = {"Driver": "default", "Config": [{"Subnet": s, "Gateway": ""} for s in subnets]}
    return o
hand = {
    "empty_array": [],
    "fixture_like": [net("web", "172.30.1.0/24", "2001:db8:d0c::/64"), net("db", "2001:db8:d00::/64"),
                     net("dual", "192.0.2.0/24", "2001:db8:d0d::1/64"), net("none")],
    "host_bits": [net("web", "2001:db8:d0c::1/64", "172.30.1.7/24")],
    "misspelt": [net("wbe", "10.1.0.0/16"), net("dbb", "10.2.0.0/16"), net("admins", "2001:db8:a::/48")],
    "duplicate": [net("web", "10.1.0.0/16"), net("web", "10.2.0.0/16")],
    "no_ipam": [net("host", ipam=False), {"Name": "x", "Id": "1", "IPAM": None},
                {"Name": "y", "Id": "2", "IPAM": {"Config": None}}],
    "bad_subnet": [net("web", "2001:db8::/129")],
    "bad_subnet2": [net("web", "300.1.1.1/24")],
    "no_len": [net("web", "10.0.0.0")],
    "wide": [net("web", "::/0", "0.0.0.0/0")],
    "no_name": [{"Id": "1"}],
    "no_id": [{"Name": "web"}],
    "ipam_string": [{"Name": "web", "Id": "1", "IPAM": "x"}],
    "config_object": [{"Name": "web", "Id": "1", "IPAM": {"Config": {}}}],
    "subnet_number": [{"Name": "web", "Id": "1", "IPAM": {"Config": [{"Subnet": 5}, 7]}}],
    "gateway_modes": [dict(net("nat", "2001:db8:d0d::/64", "172.30.1.0/24"), Driver="bridge",
                           EnableIPv4=True, EnableIPv6=True, Options={}),
                      dict(net("routed", "2001:db8:d0e::/64"), Driver="bridge", EnableIPv4=True,
                           EnableIPv6=True, Internal=False,
                           Options={"com.docker.network.bridge.gateway_mode_ipv6": "routed",
                                    "com.docker.network.bridge.name": "br-routed"}),
                      dict(net("odd", "2001:db8:d0f::/64"), Driver="bridge", EnableIPv4="yes",
                           EnableIPv6=1, Options=["x"])],
    "daemon_error": {"message": "page not found"},
    "object": {"Name": "web"},
    "string": "networks",
}
for name, v in hand.items():
    put("docker_state", name + ".json", json.dumps(v))
put("docker_state", "truncated.json", '[{"Name":"web","Id":"1","IPAM":{"Config":[{"Subnet":"10.')
put("docker_state", "blank.json", " \n\t")
put("docker_state", "nul.json", b'[{"Name":"w\\u0000eb","Id":"1"}]')
