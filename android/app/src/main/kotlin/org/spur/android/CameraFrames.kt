// Opens the back camera with camera2, shows its preview, switches the torch, and hands the luma
// (Y) plane of each frame, as the camera delivers it, to a callback on a background thread.
package org.spur.android

import android.annotation.SuppressLint
import android.content.Context
import android.graphics.ImageFormat
import android.hardware.camera2.CameraCaptureSession
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraDevice
import android.hardware.camera2.CameraManager
import android.hardware.camera2.CaptureRequest
import android.media.ImageReader
import android.os.Handler
import android.os.HandlerThread
import android.view.Surface

/** One camera frame's luma plane: `stride` bytes from one row's start to the next. */
class LumaFrame(val luma: ByteArray, val width: Int, val height: Int, val stride: Int, val rotationDegrees: Int)

class CameraFrames(private val context: Context, private val onFrame: (LumaFrame) -> Unit) {
    private val manager = context.getSystemService(Context.CAMERA_SERVICE) as CameraManager
    private val thread = HandlerThread("spur-camera").apply { start() }
    private val handler = Handler(thread.looper)
    private var device: CameraDevice? = null
    private var session: CameraCaptureSession? = null
    private var request: CaptureRequest.Builder? = null
    private var reader: ImageReader? = null
    private var rotation = 0
    var torchAvailable = false
        private set

    /** The back camera's id, or null when the device has none. */
    fun backCamera(): String? = manager.cameraIdList.firstOrNull {
        manager.getCameraCharacteristics(it).get(CameraCharacteristics.LENS_FACING) == CameraCharacteristics.LENS_FACING_BACK
    }

    /** Starts frames into `preview`; the caller has checked the camera permission. */
    @SuppressLint("MissingPermission")
    fun start(preview: Surface): Boolean {
        val id = backCamera() ?: return false
        val characteristics = manager.getCameraCharacteristics(id)
        torchAvailable = characteristics.get(CameraCharacteristics.FLASH_INFO_AVAILABLE) == true
        rotation = characteristics.get(CameraCharacteristics.SENSOR_ORIENTATION) ?: 0
        val frames = ImageReader.newInstance(1280, 720, ImageFormat.YUV_420_888, 2).also { reader = it }
        frames.setOnImageAvailableListener({ r ->
            val image = r.acquireLatestImage() ?: return@setOnImageAvailableListener
            try {
                val plane = image.planes[0]
                val bytes = ByteArray(plane.buffer.remaining()).also { plane.buffer.get(it) }
                onFrame(LumaFrame(bytes, image.width, image.height, plane.rowStride, rotation))
            } finally {
                image.close()
            }
        }, handler)
        manager.openCamera(id, object : CameraDevice.StateCallback() {
            override fun onOpened(camera: CameraDevice) {
                device = camera
                val builder = camera.createCaptureRequest(CameraDevice.TEMPLATE_PREVIEW).apply {
                    addTarget(preview)
                    addTarget(frames.surface)
                    set(CaptureRequest.CONTROL_AF_MODE, CaptureRequest.CONTROL_AF_MODE_CONTINUOUS_PICTURE)
                }
                request = builder
                @Suppress("DEPRECATION")
                camera.createCaptureSession(listOf(preview, frames.surface), object : CameraCaptureSession.StateCallback() {
                    override fun onConfigured(s: CameraCaptureSession) {
                        session = s
                        s.setRepeatingRequest(builder.build(), null, handler)
                    }
                    override fun onConfigureFailed(s: CameraCaptureSession) = stop()
                }, handler)
            }
            override fun onDisconnected(camera: CameraDevice) = stop()
            override fun onError(camera: CameraDevice, error: Int) = stop()
        }, handler)
        return true
    }

    fun setTorch(on: Boolean) {
        val builder = request ?: return
        builder.set(CaptureRequest.FLASH_MODE, if (on) CaptureRequest.FLASH_MODE_TORCH else CaptureRequest.FLASH_MODE_OFF)
        session?.setRepeatingRequest(builder.build(), null, handler)
    }

    fun stop() {
        session?.close(); session = null
        device?.close(); device = null
        reader?.close(); reader = null
    }

    fun release() {
        stop()
        thread.quitSafely()
    }
}
