//! `#[spec]` fills an annotated module and keeps what the user wrote in it; the generated code is
//! documented and warning-free even under strict lints.
#![deny(warnings, missing_docs, missing_debug_implementations, unreachable_pub)]

/// Streetlights, with a helper of the user's own next to the generated items.
#[asyncapi_runtime::spec("../examples/specs/streetlights-mqtt.yml")]
pub mod lights {
    /// Written by the user: a default command built from a generated type.
    pub fn half_dim() -> DimLightPayload {
        DimLightPayload {
            percentage: Some(50),
            sent_at: None,
        }
    }

    /// Also the user's: a constant next to the generated ones.
    pub const HOME: &str = "lamp-home";
}

#[test]
fn user_items_are_kept_beside_generated_ones() {
    assert_eq!(lights::half_dim().percentage, Some(50));
    let address = lights::LightsDimParameters {
        streetlight_id: lights::HOME.into(),
    }
    .address()
    .unwrap();
    assert_eq!(
        address,
        "smartylighting/streetlights/1/0/action/lamp-home/dim"
    );
}
