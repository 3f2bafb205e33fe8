import Testing
@testable import DecayLessons

/// The two lessons the issue found passing `check` and then growing past
/// their budget: the estimate now counts what made them grow (each seed's
/// runs; the pretraining set and its model), so they are refused, while the
/// same lessons without that term still pass.
@Suite struct EstimateTermsTests {
    static func seedsLesson(_ seeds: Int) -> String {
        """
        data = moons
        train = 20
        val = 10
        model = mlp
        hidden = [1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024]
        optimizer = adam
        batch = 1
        steps = 5
        seeds = \(seeds)
        controls = []

        [run "a"]
        lambda = 0
        [run "b"]
        lambda = 0.1
        """
    }

    @Test func sixteenSeedsOfAHundredMegabyteRunAreRefusedAndOneSeedIsNot() {
        let many = errors(step(Self.seedsLesson(16)))
        #expect(many.count == 1 && many.first?.message.contains("32 runs") == true, "\(many)")
        #expect(many.first?.message.contains("over the 512 MB") == true)
        let one = errors(step(Self.seedsLesson(1))).filter { $0.message.contains("memory") }
        #expect(one.isEmpty, "\(one)")
    }

    static func pretrainingLesson(pretrain: Bool) -> String {
        """
        data = linreg
        inputs = 4096
        train = 8000
        val = 4000
        model = linear
        optimizer = adamw
        batch = 32
        steps = 2
        """ + (pretrain ? "\npretrain.train = 20000\npretrain.batch = full\npretrain.steps = 1" : "")
    }

    @Test func aLargePretrainingSetIsCounted() {
        let with = errors(step(Self.pretrainingLesson(pretrain: true)))
        #expect(with.first?.message.contains("while pretraining") == true, "\(with)")
        #expect(with.first?.message.contains("over the 512 MB") == true)
        #expect(errors(step(Self.pretrainingLesson(pretrain: false))).filter { $0.message.contains("memory") }.isEmpty)
    }
}
