import Foundation
import Testing
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel

/// OpenAI Batch output and error files, Responses and embedding batches, and vLLM's batch output
/// (docs/log-formats.md, "OpenAI Batch and vLLM"). The samples in datasets/formats/ follow the
/// shapes of OpenAI's API reference and vLLM's `run_batch`.
@Suite("Batch files: error lines, Responses, embeddings and vLLM")
struct BatchReadingTests {
    static func line(_ id: String, model: String = "small", created: Int = 1_790_812_800, prompt: Int = 1000, completion: Int = 500) -> String {
        #"{"id":"b","custom_id":"\#(id)","response":{"status_code":200,"request_id":"r","body":{"object":"chat.completion","created":\#(created),"model":"\#(model)","usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion)}}},"error":null}"#
    }

    static func errorLine(_ id: String) -> String {
        #"{"id":"b","custom_id":"\#(id)","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}"#
    }

    static func read(_ text: String, catalog: ModelCatalog = Fixture.catalog) throws -> (records: [Record], problems: [RecordProblem], notes: LogNotes) {
        let chunk = try LogFormat.table(path: Fixture().file("out.jsonl", text), catalog: catalog, format: .openAIBatch)!
        guard case let .records(records, _, problems) = chunk.content else { return ([], [], chunk.notes) }
        return (records, problems, chunk.notes)
    }

    @Test func anErrorLineIsAFailedCallOfTheFilesBatchThatBilledNothing() throws {
        let text = [Self.line("a"), Self.errorLine("b")].joined(separator: "\n") + "\n"
        let (records, problems, notes) = try Self.read(text)
        #expect(problems.isEmpty, "\(problems)")
        // One model's batch: the error line is that model's, at the batch's earliest time, tokens unknown.
        #expect(records[1].id == "b" && records[1].outcomes[0] == Outcome(success: false, outputTokens: 0, costUSD: 0))
        #expect(records[1].timestamp == 1_790_812_800 && records[1].inputTokens == 0 && records[1].calls == [0])
        #expect(notes.unansweredBatchLines == 1 && notes.untimedCalls == 1 && notes.unbilledFailedCalls == 1)
        // What production did: $0.002 for a, nothing for the failure; one of two calls failed.
        let (result, _) = try LogReadingTests.replay(text, name: "out.batch.jsonl", policies: "name: p\nkind: recorded\n")
        let recorded = result.totals.policies[0]
        #expect(abs(recorded.cost.value - 0.002) < 1e-12 && recorded.calls == 2 && recorded.failedCalls == 1)
    }

    @Test func inAFileOfSeveralBatchesTheErrorBelongsToTheBatchWithoutAnAnswer() throws {
        // a: small answered, large's batch expired; the error line is large's.
        let text = [Self.line("a"), Self.line("a", model: "large", created: 1_790_812_900), Self.line("c", model: "large"), Self.errorLine("c")]
        let (records, problems, _) = try Self.read(text.joined(separator: "\n") + "\n")
        #expect(problems.isEmpty && records.count == 2, "\(problems)")
        #expect(records[1].outcomes[Fixture.catalog.index(of: "small")!] == Outcome(success: false, outputTokens: 0, costUSD: 0))
        #expect(records[1].outcomes[Fixture.catalog.index(of: "large")!]!.success)
    }

    @Test func anErrorWhoseBatchCannotBeToldIsRefused() throws {
        // An error file alone names no model.
        let alone = try Self.read(Self.errorLine("x") + "\n")
        #expect(alone.records.isEmpty && alone.problems.first?.line == 1 && alone.problems.first?.field == "error")
        #expect(alone.problems.first?.reason.contains("batch_expired") == true)
        #expect(alone.problems.first?.reason.contains("cat output.jsonl errors.jsonl > batch.jsonl") == true)
        // Two batches (small, large) without an answer for y, one error line: which failed is unknown.
        let two = try Self.read([Self.line("a"), Self.line("a", model: "large"), Self.errorLine("y")].joined(separator: "\n") + "\n")
        #expect(two.records.count == 1 && two.problems.first?.line == 3)
        #expect(two.problems.first?.reason.contains("2 of the file's batches (small, large) have no answer") == true, "\(two.problems)")
    }

    @Test func aLineWithNeitherAnswerNorErrorIsRefused() throws {
        let text = #"{"id":"b","custom_id":"z","response":null,"error":null}"# + "\n"
        let (_, problems, _) = try Self.read(Self.line("a") + "\n" + text)
        #expect(problems.first?.field == "response" && problems.first?.reason.contains("is required") == true)
    }

    @Test func responsesBatchesAreRead() throws {
        let (records, problems) = try ForeignFormatTests.read("openai-batch-responses.jsonl")
        #expect(problems.isEmpty && records.count == 2, "\(problems)")
        let gpt4o = ForeignFormatTests.index("gpt-4o")
        #expect(records[0].timestamp == 1_790_816_400 && records[0].inputTokens == 2000 && records[0].cachedInputTokens == 1536)
        #expect(records[0].outcomes[gpt4o]!.success && records[0].outcomes[gpt4o]!.outputTokens == 300)
        // status incomplete (max_output_tokens): billed, but the answer was cut short.
        #expect(!records[1].outcomes[gpt4o]!.success && records[1].outcomes[gpt4o]!.outputTokens == 64)
    }

    @Test func embeddingBatchesAreReadWithoutTime() throws {
        let (records, problems) = try ForeignFormatTests.read("openai-batch-embeddings.jsonl")
        #expect(problems.isEmpty && records.map(\.inputTokens) == [800, 1200], "\(problems)")
        let model = ForeignFormatTests.index("text-embedding-3-small")
        #expect(records[0].outcomes[model] == Outcome(success: true, outputTokens: 0))
        // The file records no time at all: the fixed date of untimed logs.
        #expect(records.allSatisfy { $0.timestamp == RouterBenchReader.timestamp })
    }

    @Test func vLLMBatchOutputIsRead() throws {
        let (records, problems) = try ForeignFormatTests.read("vllm-batch.jsonl")
        #expect(problems.isEmpty && records.count == 2, "\(problems)")
        let llama = ForeignFormatTests.index("llama-3.1-8b")
        // The served model's path matches the catalog entry's alias; prompt_tokens_details is null.
        #expect(records[0].inputTokens == 40 && records[0].outcomes[llama] == Outcome(success: true, outputTokens: 3))
        // vLLM's error: status 400, no body, the error as a string; charged to the one batch.
        #expect(records[1].outcomes[llama] == Outcome(success: false, outputTokens: 0, costUSD: 0) && records[1].timestamp == 1_790_820_000)
    }
}
