//! The macro follows `$ref`s into other files and, with `url_vendor`, into a local mirror of URLs;
//! both paths are relative to this crate's manifest folder.

mod multi_file {
    asyncapi_runtime::asyncapi!("../asyncapi-codegen/tests/fixtures/refs/api.yaml");
}

mod through_url {
    asyncapi_runtime::asyncapi!(
        "../asyncapi-codegen/tests/fixtures/refs/with-url.yaml",
        url_vendor = "../asyncapi-codegen/tests/fixtures/refs/vendor"
    );
}

#[test]
fn types_from_referenced_files_are_generated() {
    let parameters = multi_file::ReadingsParameters {
        sensor_id: "s-1".into(),
    };
    assert_eq!(parameters.address().unwrap(), "sensors/s-1/readings");
    let payload = multi_file::ReadingPayload {
        value: 1.5,
        // Each schema a `$ref` points at is one named type, named after its pointer.
        unit: Some(multi_file::Unit::Lux),
        a_b: Some(true),
    };
    let json = asyncapi_runtime::__private::serde_json::to_string(&payload).unwrap();
    assert_eq!(json, r#"{"value":1.5,"unit":"lux","a/b":true}"#);
}

#[test]
fn url_references_come_from_the_vendor_folder() {
    // A whole file is named after the file.
    let payload = through_url::Reading { lux: Some(3) };
    assert_eq!(payload.lux, Some(3));
}
