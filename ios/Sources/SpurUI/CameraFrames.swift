// The back camera through AVFoundation: a preview layer, the torch, and the luma plane of each
// frame (420f/420v biplanar: plane 0 is Y) handed to a callback on a background queue.
import AVFoundation
import UIKit

struct LumaFrame {
    let luma: Data
    let width: Int
    let height: Int
    let stride: Int
}

final class CameraFrames: NSObject, AVCaptureVideoDataOutputSampleBufferDelegate {
    let session = AVCaptureSession()
    private let queue = DispatchQueue(label: "spur-camera")
    private let onFrame: (LumaFrame) -> Void
    private var device: AVCaptureDevice?

    init(onFrame: @escaping (LumaFrame) -> Void) { self.onFrame = onFrame }

    /// False when there is no back camera (the simulator): then "pick a picture" is the way.
    func start() -> Bool {
        guard let camera = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back),
              let input = try? AVCaptureDeviceInput(device: camera) else { return false }
        device = camera
        let output = AVCaptureVideoDataOutput()
        output.videoSettings = [kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_420YpCbCr8BiPlanarFullRange]
        output.setSampleBufferDelegate(self, queue: queue)
        session.beginConfiguration()
        session.sessionPreset = .hd1280x720
        if session.canAddInput(input) { session.addInput(input) }
        if session.canAddOutput(output) { session.addOutput(output) }
        session.commitConfiguration()
        queue.async { self.session.startRunning() }
        return true
    }

    func setTorch(_ on: Bool) {
        guard let device, device.hasTorch, (try? device.lockForConfiguration()) != nil else { return }
        device.torchMode = on ? .on : .off
        device.unlockForConfiguration()
    }

    func stop() { queue.async { self.session.stopRunning() } }

    func captureOutput(_ output: AVCaptureOutput, didOutput sample: CMSampleBuffer, from connection: AVCaptureConnection) {
        guard let pixels = CMSampleBufferGetImageBuffer(sample) else { return }
        CVPixelBufferLockBaseAddress(pixels, .readOnly)
        defer { CVPixelBufferUnlockBaseAddress(pixels, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddressOfPlane(pixels, 0) else { return }
        let stride = CVPixelBufferGetBytesPerRowOfPlane(pixels, 0)
        let height = CVPixelBufferGetHeightOfPlane(pixels, 0)
        onFrame(LumaFrame(luma: Data(bytes: base, count: stride * height),
                          width: CVPixelBufferGetWidthOfPlane(pixels, 0), height: height, stride: stride))
    }
}

/// The one place camera frames and pictures meet the core's decoder (as FrameDecoder.kt).
/// GAP: the core's facade does not export spur-qr's decoder yet; see ios/README.md.
enum FrameDecoder {
    static func read(_ frame: LumaFrame) -> String? { nil }

    static func luma(of image: UIImage) -> LumaFrame? {
        guard let cg = image.cgImage else { return nil }
        let width = cg.width, height = cg.height
        var bytes = Data(count: width * height)
        let drawn = bytes.withUnsafeMutableBytes { buffer -> Bool in
            guard let context = CGContext(data: buffer.baseAddress, width: width, height: height, bitsPerComponent: 8,
                                          bytesPerRow: width, space: CGColorSpaceCreateDeviceGray(),
                                          bitmapInfo: CGImageAlphaInfo.none.rawValue) else { return false }
            context.draw(cg, in: CGRect(x: 0, y: 0, width: width, height: height))
            return true
        }
        return drawn ? LumaFrame(luma: bytes, width: width, height: height, stride: width) : nil
    }
}
