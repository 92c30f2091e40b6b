test tests/packet/cases/ranges.pol
