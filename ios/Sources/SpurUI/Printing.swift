// Hands a PDF the core made to the system's print controller.
import UIKit

enum Printing {
    static func printPdf(_ pdf: Data, jobName: String) {
        let info = UIPrintInfo(dictionary: nil)
        info.outputType = .general
        info.jobName = jobName
        let controller = UIPrintInteractionController.shared
        controller.printInfo = info
        controller.printingItem = pdf
        controller.present(animated: true)
    }
}
