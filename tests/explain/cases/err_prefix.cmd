explain examples/site.pol 'tcp 2001:db8::/64 -> 2001:db8::2 port 1'
