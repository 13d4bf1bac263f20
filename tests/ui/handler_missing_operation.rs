//! A streetlight that forgot one of the commands the spec sends it.
use asyncapi_runtime::{HandlerResult, Received};

asyncapi_runtime::asyncapi!("../../../../tests/../examples/specs/streetlights-mqtt.yml", role = "mirror");

struct Lamp;

impl Handler for Lamp {
    async fn turn_on(&self, _: Received<LightTurnOnParameters, TurnOnOffPayload, CommonHeaders>) -> HandlerResult {
        Ok(())
    }

    async fn turn_off(&self, _: Received<LightTurnOffParameters, TurnOnOffPayload, CommonHeaders>) -> HandlerResult {
        Ok(())
    }
}

fn main() {
    let _ = Lamp;
}
