test tests/explain/cases/nope.pol examples/site.pol.test
