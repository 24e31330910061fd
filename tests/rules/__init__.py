"""One test module per built-in rule module (src/dutyplan/rules/*.py), each rule proved both ways."""
