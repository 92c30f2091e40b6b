explain examples/site.pol 'tcp 2001:db8::1 -> 2001:db8::2 type 3'
