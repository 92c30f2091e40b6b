explain examples/site.pol 'udp 2001:db8::1 -> 2001:db8::2 port dns extra'
