explain examples/site.pol 'tcp 2001:db8::g -> 2001:db8::2 port 1'
