test tests/bad/host_bits.pol examples/site.pol.test
