// Simulator UI test (unbuilt here): the app starts on registration and shows the privacy text.
import XCTest

final class LaunchTests: XCTestCase {
    func testFirstStartShowsRegistration() {
        let app = XCUIApplication()
        app.launch()
        XCTAssertTrue(app.buttons["Register"].waitForExistence(timeout: 10))
    }
}
