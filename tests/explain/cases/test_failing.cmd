test examples/full.pol tests/explain/cases/failing.test
