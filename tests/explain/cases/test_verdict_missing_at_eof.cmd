test examples/full.pol tests/fuzz/crashes/testfile/verdict_missing_at_eof.test
