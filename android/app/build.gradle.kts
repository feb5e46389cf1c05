// The app module: the Kotlin shell, the generated bindings (scripts/bindings.sh) and the core
// library for each ABI (build-native.sh, cargo-ndk). Framework classes only: no AndroidX.
plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

val repo = rootDir.parentFile

android {
    namespace = "org.spur.android"
    compileSdk = 35

    defaultConfig {
        applicationId = "org.spur.android"
        minSdk = 28
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        testInstrumentationRunner = "android.test.InstrumentationTestRunner"
        manifestPlaceholders += mapOf(
            "spurHost" to providers.gradleProperty("spur.host").get(),
            "spurHostCapitals" to providers.gradleProperty("spur.host").get().uppercase(),
            "spurTagUrl" to providers.gradleProperty("spur.tagUrl").get(),
            "spurPostUrl" to providers.gradleProperty("spur.postUrl").get(),
            "spurOpPublicKey" to providers.gradleProperty("spur.opPublicKey").get(),
            "spurDirectoryRootKey" to providers.gradleProperty("spur.directoryRootKey").get(),
        )
    }

    sourceSets["main"].apply {
        kotlin.srcDir("$repo/target/bindings/kotlin")
        jniLibs.srcDir("src/main/jniLibs")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }

    testOptions.unitTests.isIncludeAndroidResources = true
    useLibrary("android.test.runner")
    useLibrary("android.test.base")
}

dependencies {
    implementation("net.java.dev.jna:jna:5.17.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
    testImplementation("junit:junit:4.13.2")
    testImplementation("org.robolectric:robolectric:4.16.1")
    testImplementation("net.java.dev.jna:jna:5.17.0")
}

// Native libraries and bindings come from the repository's scripts, never edited by hand.
val buildNative by tasks.registering(Exec::class) {
    workingDir = rootDir
    commandLine("bash", "build-native.sh")
}
tasks.named("preBuild") { dependsOn(buildNative) }
