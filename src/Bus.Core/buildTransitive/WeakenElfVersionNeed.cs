// MSBuild inline task (RoslynCodeTaskFactory, compiled against netstandard2.0). Marks one symbol-version requirement of a Linux shared
// library as weak (VER_FLG_WEAK in its Elf64_Vernaux record), so the dynamic loader only warns when the
// system library lacks that version. Used for TorchSharp's libLibTorchSharp.so, which needs
// GLIBCXX_3.4.32 for one never-called symbol (std::ios_base_library_init); see docs/torchsharp-loading.md.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenElfVersionNeed : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>The ELF file to patch in place (the build output's copy, never the NuGet cache).</summary>
    [Required] public string LibraryPath { get; set; } = "";

    /// <summary>The version name to weaken, e.g. GLIBCXX_3.4.32.</summary>
    [Required] public string VersionName { get; set; } = "";

    /// <summary>Semicolon-separated candidate paths of the system library that should provide the version.</summary>
    public string SystemLibraryCandidates { get; set; } = "";

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !File.Exists(LibraryPath))
            return true;
        if (SystemProvides(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, $"System library provides {VersionName}; {LibraryPath} left as is.");
            return true;
        }
        byte[] elf = File.ReadAllBytes(LibraryPath);
        int changed = Weaken(elf, VersionName);
        if (changed < 0)
        {
            Log.LogWarning($"{LibraryPath} is not a 64-bit little-endian ELF file with a version-needs section; not patched.");
            return true;
        }
        if (changed > 0)
        {
            string tmp = LibraryPath + ".tmp";
            File.WriteAllBytes(tmp, elf);
            File.Delete(LibraryPath);
            File.Move(tmp, LibraryPath);
            Log.LogMessage(MessageImportance.High,
                $"Bus: marked {VersionName} weak in {Path.GetFileName(LibraryPath)} (system libstdc++ lacks it).");
        }
        return true;
    }

    bool SystemProvides(string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (string candidate in SystemLibraryCandidates.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!File.Exists(candidate)) continue;
            if (Contains(File.ReadAllBytes(candidate), needle)) return true;
        }
        // Not found (or no system library found at all): patching is the safe choice, since a weak
        // requirement only turns a load failure into a loader warning.
        return false;
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    /// <summary>Returns the number of entries newly marked weak, or -1 when the file is not usable.</summary>
    static int Weaken(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 || elf[5] != 1) return -1;
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        bool sawVerneed = false;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            sawVerneed = true;
            long secOffset = BitConverter.ToInt64(elf, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 0x2C);
            long strtab = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize) + 0x18);
            long vn = secOffset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(elf, (int)vn + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long nameAt = strtab + BitConverter.ToUInt32(elf, (int)aux + 8);
                    int end = Array.IndexOf(elf, (byte)0, (int)nameAt);
                    string name = Encoding.ASCII.GetString(elf, (int)nameAt, end - (int)nameAt);
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (name == version && (flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, (int)aux + 4);
                        changed++;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(elf, (int)vn + 12);
            }
        }
        return sawVerneed ? changed : -1;
    }
}
