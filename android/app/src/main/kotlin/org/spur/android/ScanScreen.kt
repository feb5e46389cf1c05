// Scan: the live camera preview with a torch switch, and "pick a picture" for screenshots and
// devices without a camera. Pixels go to the core's decoder; what it reads is opened by the
// activity on the screen the core names (stay for places and personal codes, consent).
package org.spur.android

import android.Manifest
import android.app.Activity
import android.content.Intent
import android.content.pm.PackageManager
import android.graphics.SurfaceTexture
import android.view.Surface
import android.view.TextureView
import android.widget.LinearLayout
import java.util.concurrent.atomic.AtomicBoolean
import org.spur.core.ScannedImage

class ScanScreen(app: MainActivity, private val hint: String? = null) : Screen(app) {
    override val title get() = words.scanTitle
    override val name = "scan"
    private var camera: CameraFrames? = null
    private var torchOn = false
    private val found = AtomicBoolean(false)

    override fun fill(column: LinearLayout) {
        column.addView(Ui.text(app, hint ?: words.scanHint, "scan.hint"))
        val preview = TextureView(app).apply {
            tag = "scan.preview"
            contentDescription = words.cameraPreview
            layoutParams = LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, (320 * resources.displayMetrics.density).toInt())
        }
        column.addView(preview)
        val frames = CameraFrames(app) { frame -> onFrame(frame) }
        camera = frames
        if (frames.backCamera() == null) {
            frames.release()
            camera = null
            say(words.noCamera)
        } else if (app.checkSelfPermission(Manifest.permission.CAMERA) != PackageManager.PERMISSION_GRANTED) {
            say(words.cameraPermission)
            app.requestPermissions(arrayOf(Manifest.permission.CAMERA), PERMISSION_REQUEST)
        } else {
            startWhenReady(preview, frames)
        }
        column.addView(Ui.button(app, words.torchOn, "scan.torch") {}.apply {
            setOnClickListener {
                torchOn = !torchOn
                camera?.setTorch(torchOn)
                text = if (torchOn) words.torchOff else words.torchOn
            }
        })
        column.addView(Ui.button(app, words.pickPicture, "scan.picture") {
            app.startActivityForResult(Intent(Intent.ACTION_GET_CONTENT).setType("image/*"), PICTURE_REQUEST)
        })
    }

    private fun startWhenReady(preview: TextureView, frames: CameraFrames) {
        preview.surfaceTextureListener = object : TextureView.SurfaceTextureListener {
            override fun onSurfaceTextureAvailable(texture: SurfaceTexture, width: Int, height: Int) {
                frames.start(Surface(texture))
            }
            override fun onSurfaceTextureSizeChanged(texture: SurfaceTexture, width: Int, height: Int) {}
            override fun onSurfaceTextureDestroyed(texture: SurfaceTexture): Boolean {
                frames.release()
                FrameDecoder.stop(core)
                return true
            }
            override fun onSurfaceTextureUpdated(texture: SurfaceTexture) {}
        }
    }

    /** On the camera thread: one frame to the core; the first code found is opened. */
    private fun onFrame(frame: LumaFrame) {
        if (found.get()) return
        when (val seen = FrameDecoder.read(core, frame)) {
            is ScannedImage.Spur ->
                if (found.compareAndSet(false, true)) app.runOnUiThread { camera?.release(); app.openCode(seen.text) }
            is ScannedImage.OtherCode -> app.runOnUiThread { say(seen.message) }
            is ScannedImage.Nothing -> {}
        }
    }

    fun onPermission(requestCode: Int, grantResults: IntArray) {
        if (requestCode == PERMISSION_REQUEST && grantResults.firstOrNull() == PackageManager.PERMISSION_GRANTED) app.render()
    }

    /** A picture the user picked: its bytes go to the core as they are. */
    fun onPicture(requestCode: Int, resultCode: Int, data: Intent?) {
        if (requestCode != PICTURE_REQUEST || resultCode != Activity.RESULT_OK) return
        val uri = data?.data ?: return
        val bytes = app.contentResolver.openInputStream(uri)?.use { it.readBytes() } ?: return say(words.noCodeInPicture)
        when (val seen = attempt { FrameDecoder.read(core, bytes) }) {
            is ScannedImage.Spur -> { camera?.release(); app.openCode(seen.text) }
            is ScannedImage.OtherCode -> say(seen.message)
            is ScannedImage.Nothing -> say(words.noCodeInPicture)
            null -> {}
        }
    }

    private companion object {
        const val PERMISSION_REQUEST = 1
        const val PICTURE_REQUEST = 2
    }
}
