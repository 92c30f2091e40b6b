explain examples/site.pol 'icmp 2001:db8::1 -> 2001:db8::2 port 3'
