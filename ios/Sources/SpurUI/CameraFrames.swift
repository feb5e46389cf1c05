// The back camera through AVFoundation: a preview layer, the torch, and the luma plane of each
// frame (420f/420v biplanar: plane 0 is Y) handed to a callback on a background queue.
import AVFoundation
import SpurCore
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
enum FrameDecoder {
    /// A live frame: the core keeps one frame loop per scanning session (a time budget per
    /// frame, frames offered while one is being decoded are dropped), so the answer may be an
    /// earlier frame's; `stop` ends the session.
    static func read(_ core: Spur, _ frame: LumaFrame) -> ScannedImage {
        (try? core.scanFrame(width: UInt32(frame.width), height: UInt32(frame.height), stride: UInt32(frame.stride),
                             // The back camera delivers landscape buffers; the app runs in portrait.
                             rotationDegrees: 90, luma: frame.luma)) ?? .nothing
    }

    /// The camera stopped: the core's scanning session (its decoding thread) ends.
    static func stop(_ core: Spur) { core.scanStop() }

    static func read(_ core: Spur, picture: Data) throws -> ScannedImage {
        try core.scanPicture(bytes: picture)
    }
}
