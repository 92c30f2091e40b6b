explain examples/site.pol 'tcp 2001:db8::1 -> 2001:db8::2 port 22' 'udp ::1 -> ::2 port x'
