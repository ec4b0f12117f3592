import Testing

extension Tag {
    /// Tests that take seconds rather than milliseconds (large inputs, many seeds, fuzzing).
    @Tag static var slow: Self
}
