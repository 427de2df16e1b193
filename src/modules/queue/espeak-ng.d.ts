/** The espeak-ng npm package (eSpeak NG compiled to WASM by Emscripten) ships no types: what speech.ts uses. */
declare module 'espeak-ng' {
  interface ESpeakNgInstance {
    FS: { readFile(path: string): Uint8Array };
  }
  export default function ESpeakNg(options: {
    arguments: string[];
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }): Promise<ESpeakNgInstance>;
}
