import Testing
import DecayEngine
@testable import DecayLessons

/// `pretrain.*` keys: parsed into the spec, defaults filled in, mistakes located.
@Suite struct PretrainKeyTests {
    let base = "data = moons\nmodel = mlp\nhidden = [8]\noptimizer = adamw\nlr = 0.0001"

    @Test func keysAndDefaults() throws {
        let spec = try parsed(step(base + "\npretrain.train = 2000\npretrain.steps = 150\npretrain.lr = 0.003")).steps[0].spec
        let p = try #require(spec.pretrain)
        #expect(p.trainCount == 2000 && p.steps == 150 && p.optimizer.kind == .adamw && p.optimizer.learningRate == 0.003)
        #expect(p.weightDecay == OptimizerSpec.Kind.adamw.defaultWeightDecay && p.batchSize == 64)
        let sgd = try parsed(step(base + "\npretrain.train = 100\npretrain.steps = 10\npretrain.optimizer = sgd\npretrain.batch = full"))
        #expect(sgd.steps[0].spec.pretrain?.optimizer.kind == .sgd && sgd.steps[0].spec.pretrain?.batchSize == nil)
        #expect(try parsed(step(base)).steps[0].spec.pretrain == nil)
    }

    @Test func mistakesAreLocated() {
        let missing = errors(step(base + "\npretrain.train = 2000"))
        #expect(missing.count == 1 && missing[0].line == 13 && missing[0].message.contains("pretrain.steps"), "\(missing)")
        let range = errors(step(base + "\npretrain.train = 2000\npretrain.steps = 0"))
        #expect(range.count == 1 && range[0].line == 14, "\(range)")
        let kind = errors(step(base + "\npretrain.train = 2000\npretrain.steps = 10\npretrain.optimizer = rmsprop"))
        #expect(kind.count == 1 && kind[0].line == 15, "\(kind)")
        let inRun = errors(step(base + "\n[run \"a\"]\npretrain.steps = 10"))
        #expect(inRun.count == 1 && inRun[0].line == 14, "\(inRun)")
    }
}
