// The restoration tasks: one MAXIM base network each (converter/src/maximModels.ts says where its weights come from).
export type Task = "lowlight" | "derain" | "deblur" | "denoise";
