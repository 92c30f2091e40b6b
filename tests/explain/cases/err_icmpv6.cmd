explain examples/site.pol 'icmpv6 2001:db8::1 -> 2001:db8::2'
