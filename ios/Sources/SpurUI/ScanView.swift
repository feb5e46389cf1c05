// Scan, as ScanScreen.kt: live camera preview, torch, and "pick a picture" (for screenshots and
// the simulator, which has no camera); what the decoder reads is opened by the model.
import AVFoundation
import PhotosUI
import SpurCore
import SwiftUI

struct ScanView: View {
    @EnvironmentObject var model: AppModel
    @State private var camera: CameraFrames?
    @State private var torch = false
    @State private var picked: PhotosPickerItem?
    @State private var status = ""
    var body: some View {
        let w = model.labels
        VStack(spacing: 16) {
            StatusLine(text: status)
            Text(w.scanHint)
            if let camera { Preview(session: camera.session).frame(height: 320).accessibilityLabel(w.cameraPreview) }
            Button(torch ? w.torchOff : w.torchOn) { torch.toggle(); camera?.setTorch(torch) }
            PhotosPicker(w.pickPicture, selection: $picked, matching: .images)
        }
        .padding()
        .navigationTitle(w.scanCode)
        .onAppear {
            let core = model.core
            let frames = CameraFrames { frame in
                switch FrameDecoder.read(core, frame) {
                case .spur(let text): DispatchQueue.main.async { camera?.stop(); model.open(code: text) }
                case .otherCode(let said): DispatchQueue.main.async { status = said }
                case .nothing: break
                }
            }
            if frames.start() { camera = frames }
        }
        .onDisappear { camera?.stop(); FrameDecoder.stop(model.core) }
        .onChange(of: picked) { item in
            Task {
                guard let data = try? await item?.loadTransferable(type: Data.self) else { return }
                do {
                    switch try FrameDecoder.read(model.core, picture: data) {
                    case .spur(let text): model.open(code: text)
                    case .otherCode(let said): status = said
                    case .nothing: status = w.noCodeInPicture
                    }
                } catch { status = message(of: error) }
            }
        }
    }

    private struct Preview: UIViewRepresentable {
        let session: AVCaptureSession
        func makeUIView(context: Context) -> UIView {
            let view = UIView()
            let layer = AVCaptureVideoPreviewLayer(session: session)
            layer.videoGravity = .resizeAspectFill
            view.layer.addSublayer(layer)
            return view
        }
        func updateUIView(_ view: UIView, context: Context) {
            view.layer.sublayers?.first?.frame = view.bounds
        }
    }
}
