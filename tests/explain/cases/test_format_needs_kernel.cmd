test --format json examples/site.pol
