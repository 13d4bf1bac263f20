//! The generator on the official streetlights examples (2.6.0 and 3.0.0): it accepts both and
//! produces the same API shape from each.

use std::path::{Path, PathBuf};

use asyncapi_codegen::{Settings, generate_file};

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/public")
        .join(rel)
}

fn expand(rel: &str) -> String {
    let path = corpus(rel);
    let generated = generate_file(&path, Path::new(rel), &Settings::default())
        .unwrap_or_else(|e| panic!("{rel} was rejected:\n{e}"));
    let file: syn::File = syn::parse2(generated.tokens).expect("generated tokens parse as Rust");
    prettyplease::unparse(&file)
}

#[test]
fn streetlights_3_0_generates_types_and_traits() {
    let code = expand("asyncapi__spec@v3.0.0/streetlights-mqtt-asyncapi.yml");
    if std::env::var_os("SHOW").is_some() {
        println!("{code}");
    }
    for needle in [
        "pub struct LightMeasuredPayload",
        "pub lumens: ::std::option::Option<i64>",
        "pub enum TurnOnOffPayloadCommand",
        "pub type SentAt = ::asyncapi_runtime::formats::DateTime;",
        "pub struct LightTurnOnParameters",
        "pub streetlight_id: ::std::string::String",
        "pub trait Publisher",
        "fn turn_on(",
        "fn dim_light(",
        "pub trait Handler",
        "fn receive_light_measurement(",
        "pub async fn serve",
    ] {
        assert!(code.contains(needle), "missing `{needle}` in:\n{code}");
    }
}

#[test]
fn streetlights_2_6_maps_publish_to_receive() {
    let code = expand("asyncapi__spec@v2.6.0/streetlights-mqtt.yml");
    // `publish` in 2.x is what clients do, so the application receives it.
    let handler = &code[code.find("pub trait Handler").expect("a handler trait")..];
    assert!(handler.contains("fn receive_light_measurement("), "{code}");
    let publisher = &code[code.find("pub trait Publisher").expect("a publisher trait")..];
    let publisher = &publisher[..publisher.find("impl<").unwrap()];
    for op in ["fn turn_on(", "fn turn_off(", "fn dim_light("] {
        assert!(
            publisher.contains(op),
            "{op} missing from publisher:\n{code}"
        );
    }
    assert!(!publisher.contains("receive_light_measurement"));
}

#[test]
fn mirror_role_swaps_sides() {
    let path = corpus("asyncapi__spec@v3.0.0/streetlights-mqtt-asyncapi.yml");
    let mut settings = Settings::default();
    settings.role = asyncapi_codegen::Role::Mirror;
    let generated = generate_file(&path, Path::new("s.yml"), &settings).unwrap();
    let file: syn::File = syn::parse2(generated.tokens).unwrap();
    let code = prettyplease::unparse(&file);
    let publisher = &code[code.find("pub trait Publisher").unwrap()..];
    let publisher = &publisher[..publisher.find("impl<").unwrap()];
    assert!(
        publisher.contains("fn receive_light_measurement("),
        "{code}"
    );
    let handler = &code[code.find("pub trait Handler").unwrap()..];
    assert!(handler.contains("fn turn_on("), "{code}");
}

#[test]
fn generation_is_deterministic() {
    let a = expand("asyncapi__spec@v3.0.0/streetlights-mqtt-asyncapi.yml");
    let b = expand("asyncapi__spec@v3.0.0/streetlights-mqtt-asyncapi.yml");
    assert_eq!(a, b);
}
