test examples/site.pol tests/explain/cases/ping.test
