explain examples/site.pol 'tcp 2001:db8::1 -> 192.0.2.1 port 22'
