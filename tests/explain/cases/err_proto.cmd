explain examples/site.pol 'sctp 2001:db8::1 -> 2001:db8::2'
