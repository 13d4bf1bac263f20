//! Compile-fail tests: bad specs are compile errors with file, line, column and JSON pointer, and
//! service code that breaks the contract does not compile.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
    // What must compile despite a flawed spec (examples that contradict their schemas).
    cases.pass("ui/pass/*.rs");
}
