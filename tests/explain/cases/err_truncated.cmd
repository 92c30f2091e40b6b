explain examples/site.pol 'tcp 2001:db8::1 ->'
