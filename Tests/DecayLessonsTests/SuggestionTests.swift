import Testing
@testable import DecayLessons
@testable import TextSupport

@Suite struct SuggestionTests {
    @Test func distance() {
        #expect(Suggestion.distance(Array("lamda"), Array("lambda")) == 1)
        #expect(Suggestion.distance(Array("lamdba"), Array("lambda")) == 1)
        #expect(Suggestion.distance(Array(""), Array("abc")) == 3)
        #expect(Suggestion.distance(Array("kitten"), Array("sitting")) == 3)
    }

    @Test func closest() {
        let keys = ExperimentBuilder.topKeys
        #expect(Suggestion.closest(to: "lamda", among: keys) == "lambda")
        #expect(Suggestion.closest(to: "Lambda", among: keys) == "lambda")
        #expect(Suggestion.closest(to: "optimiser", among: keys) == "optimizer")
        #expect(Suggestion.closest(to: "layer_norm", among: keys) == "layernorm")
        #expect(Suggestion.closest(to: "zzz", among: keys) == nil)
        #expect(Suggestion.text(for: "rmsprop", among: ["sgd", "adam", "adamw"]) == "expected one of sgd, adam, adamw")
    }

    @Test func errorDescription() {
        let e = LessonError(path: "Lessons/01.md", line: 12, column: 3, message: "unknown key `lamda`", suggestion: "did you mean `lambda`?")
        #expect(e.description == "Lessons/01.md:12:3: error: unknown key `lamda`\n  did you mean `lambda`?")
        let f = LessonError(path: "x.md", line: 4, message: "m")
        #expect(f.description == "x.md:4: error: m")
    }
}
