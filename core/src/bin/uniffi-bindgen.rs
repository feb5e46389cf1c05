//! The workspace's UniFFI bindgen: generates the Kotlin and Swift bindings (see scripts/bindings.sh).

fn main() {
    uniffi::uniffi_bindgen_main()
}
