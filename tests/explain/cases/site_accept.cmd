explain examples/site.pol 'tcp 2001:db8:1::2 -> 2001:db8::10 port 22'
