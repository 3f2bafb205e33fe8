import Testing
@testable import DecayInspect

/// The Trainer's name patterns and module types, on names from real models.
@Suite struct DecayRulesTests {
    func reason(_ name: String, norms: Set<String> = []) -> DecayRules.Reason {
        DecayRules.trainerReason(name, layerNormModules: norms)
    }

    @Test func namePatterns() {
        #expect(reason("model.layers.0.self_attn.q_proj.bias") == .bias)
        #expect(reason("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight") == .bias)
        #expect(reason("model.layers.0.input_layernorm.weight") == .layerNormName)
        #expect(reason("bert.embeddings.LayerNorm.weight") == .layerNormName)
        #expect(reason("blocks.0.rmsnorm.weight") == .rmsNormName)
        #expect(reason("model.norm.weight") == .normComponent)
        #expect(reason("norm.weight") == .normComponent)
        #expect(reason("encoder.final_layer_norm.weight") == .normSuffix)
        #expect(reason("model.decoder.layers.0.self_attn_layer_norm.weight") == .normSuffix)
        #expect(reason("model.layers.0.mlp.up_proj.weight") == .decayed)
        // Not matched: "norm" inside a longer component, "_norm" not at its end.
        #expect(reason("backbone.norm_f.weight") == .decayed)
        #expect(reason("layers.0.normalizer.weight") == .decayed)
        #expect(reason("x.layer_norm1.weight") == .decayed)
        #expect(reason("transformer.h.0.ln_1.weight", norms: ["transformer.h.0.ln_1"]) == .layerNormModule)
    }

    /// The patterns match the lower-cased name (Python's `name.lower()`),
    /// names outside ASCII included, and LayerNorm names ignore case too.
    @Test func patternsIgnoreCase() {
        #expect(reason("x.BIAS") == .bias)
        #expect(reason("Model.NORM.weight") == .normComponent)
        #expect(reason("enc.Final_NORM.weight") == .normSuffix)
        #expect(reason("Ébauche.RMSNorm.weight") == .rmsNormName)
        #expect(reason("Ébauche.Norm") == .normComponent)
        #expect(reason("Ébauche.Normé.weight") == .decayed)
        #expect(reason("x.normbias_free") == .bias)
        #expect(reason("x._norm") == .normSuffix)
        #expect(reason("x.norm.") == .normComponent)
        #expect(reason("") == .decayed)
        let upper = [tensor("t.LN_F.weight", [8]), tensor("t.LN_F.bias", [8]), tensor("t.h.weight", [8, 8])]
        #expect(DecayRules.layerNormModules(tensors: upper, modelType: nil) == (["t.LN_F"], true))
    }

    func tensor(_ name: String, _ shape: [Int]) -> TensorInfo {
        TensorInfo(name: name, dtype: .f32, shape: shape, parameterCount: shape.reduce(1, *), file: "m.safetensors")
    }

    @Test func layerNormModulesByModelTypeAndByShape() {
        let gpt2 = [tensor("h.0.ln_1.weight", [8]), tensor("h.0.ln_1.bias", [8]), tensor("h.0.attn.c_attn.weight", [8, 24])]
        #expect(DecayRules.layerNormModules(tensors: gpt2, modelType: "gpt2").modules == ["h.0.ln_1"])
        #expect(DecayRules.layerNormModules(tensors: gpt2, modelType: nil) == (["h.0.ln_1"], true))
        // An RMSNorm (no bias) is not taken for a LayerNorm; a known type needs no guess.
        let rms = [tensor("backbone.norm_f.weight", [8])]
        #expect(DecayRules.layerNormModules(tensors: rms, modelType: nil).modules.isEmpty)
        #expect(DecayRules.layerNormModules(tensors: gpt2, modelType: "llama") == ([], false))
        let clip = [tensor("vision.pre_layrnorm.weight", [8]), tensor("vision.pre_layrnorm.bias", [8])]
        #expect(DecayRules.layerNormModules(tensors: clip, modelType: "clip").modules == ["vision.pre_layrnorm"])
    }

    @Test func dimensionRule() {
        #expect(DecayRules.decaysByDimension([4, 2]))
        #expect(DecayRules.decaysByDimension([2, 3, 4]))
        #expect(!DecayRules.decaysByDimension([8]))
        #expect(!DecayRules.decaysByDimension([]))
    }
}
