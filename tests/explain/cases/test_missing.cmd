test examples/site.pol tests/explain/cases/nope.test
